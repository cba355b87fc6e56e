"""Static files storages that work out each file's URL once per process.

Every page asks for the same few URLs (stylesheets, scripts, icons) on every request. They do
not change while a process runs: the files, and with the manifest storage their hashed names
(read from the manifest when the process starts), are in place before it starts.
"""

from django.contrib.staticfiles.storage import StaticFilesStorage
from whitenoise.storage import CompressedManifestStaticFilesStorage


class URLsOnce:
    def url(self, name, force=False):
        if force:
            return super().url(name, force)
        urls = self.__dict__.setdefault("_urls", {})
        url = urls.get(name)
        if url is None:
            url = urls[name] = super().url(name)
        return url


class StaticFilesStorageURLsOnce(URLsOnce, StaticFilesStorage):
    pass


class CompressedManifestStaticFilesStorageURLsOnce(URLsOnce, CompressedManifestStaticFilesStorage):
    pass
