"""Console entry point: `minsheng` and `python -m minsheng_cli`."""

from __future__ import annotations


def main() -> None:
    from minsheng_cli.cli import run

    run()


if __name__ == "__main__":
    main()
