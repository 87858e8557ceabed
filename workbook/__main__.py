"""``python -m workbook``: the same as the ``workbook`` console command."""

from workbook.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
