from __future__ import annotations

from llmsecops.cli.main import run

if __name__ == "__main__":
    run()
