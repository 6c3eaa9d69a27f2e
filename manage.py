#!/usr/bin/env python
from earlyhelp.cli import main

if __name__ == "__main__":
    main()
