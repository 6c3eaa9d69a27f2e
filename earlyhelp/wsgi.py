import os

from django.core.wsgi import get_wsgi_application

from .environment import prepare_local_files
from .server_process import settle_loaded_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "earlyhelp.settings")
prepare_local_files()
application = get_wsgi_application()
settle_loaded_application()
