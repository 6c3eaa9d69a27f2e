import os

from django.core.wsgi import get_wsgi_application

from .environment import prepare_local_files

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "earlyhelp.settings")
prepare_local_files()
application = get_wsgi_application()
