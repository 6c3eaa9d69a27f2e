"""The `earlyhelp` console command: the same commands as manage.py."""

import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "earlyhelp.settings")
    from django.core.management import execute_from_command_line

    from .environment import prepare_local_files

    prepare_local_files()
    execute_from_command_line(sys.argv)
