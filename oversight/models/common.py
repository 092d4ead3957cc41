from kernel.storage import PrivateStorage, private_storage  # noqa: E402,F401 (migrations refer to them here)
