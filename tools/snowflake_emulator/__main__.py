"""``python -m tools.snowflake_emulator``: serve the emulator (:mod:`.server`)."""

import sys

from tools.snowflake_emulator.server import main

if __name__ == "__main__":
    sys.exit(main())
