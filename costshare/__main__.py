"""``python -m costshare`` runs the command line."""

from costshare.cli import main

main()
