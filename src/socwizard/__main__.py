"""``python -m socwizard``."""

from socwizard.launcher import main

raise SystemExit(main())
