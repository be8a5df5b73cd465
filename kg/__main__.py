"""``python -m kg`` runs the ``aikg`` command."""

from kg.cli import main

main(prog_name="aikg")
