"""``python -m socwizard``."""

from socwizard.cli import main

raise SystemExit(main())
