import sys

from policyrules.cli import main

sys.exit(main())
