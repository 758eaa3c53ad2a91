"""One module per command-line subcommand: ``add_arguments`` and ``run``."""
