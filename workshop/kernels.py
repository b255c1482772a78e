"""Jupyter kernels on IPC sockets: the one kernel manager of the notebook runner and of nbval.

Two kernels started at the same moment on TCP can be handed the same free port, and one
dies ("Kernel died before replying to kernel_info", seen when lessons 5 and 6 started
together under make test). IPC sockets are files, each with a name of its own.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
import threading
import uuid
from typing import Optional

from jupyter_client.manager import KernelManager


class IpcKernelManager(KernelManager):
    """A kernel whose sockets are files in one folder for this process, removed at exit.
    Their path is absolute: a kernel runs in its notebook's folder."""

    _folder: Optional[str] = None
    _lock = threading.Lock()  # the runner starts kernels from several threads

    def __init__(self, **kwargs) -> None:
        with IpcKernelManager._lock:
            if IpcKernelManager._folder is None:
                IpcKernelManager._folder = tempfile.mkdtemp(prefix="workqueue-kernels-")
                atexit.register(shutil.rmtree, IpcKernelManager._folder, True)
        # jupyter_client adds "-1" to "-5" to this prefix, one per socket
        prefix = os.path.join(IpcKernelManager._folder, uuid.uuid4().hex[:8])
        super().__init__(transport="ipc", ip=prefix, **kwargs)
