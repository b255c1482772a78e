"""Find a RabbitMQ broker for the lessons, or start a throwaway one.

``get_broker()`` looks, in this order, for:

1. the broker named by the environment variable ``RABBITMQ_URL``;
2. a broker already answering on localhost:5672 as guest/guest;
3. a throwaway broker in a Docker container (testcontainers), if a Docker
   engine answers;
4. a private ``rabbitmq-server`` node, in a scratch folder on free ports, if
   RabbitMQ is installed (``/usr/lib/rabbitmq/bin/rabbitmq-server``). If the
   environment variable ``WORKQUEUE_RABBITMQ_ROOT`` names a chroot with
   RabbitMQ in it (``scripts/rabbitmq43.sh prepare`` makes one), the node
   runs in there instead, with that chroot's RabbitMQ version.

``get_broker(owned=True)`` skips 1 and 2: a lesson that restarts or crashes
the broker gets one of its own and never touches the learner's broker.

A container or a private node lives as long as the notebook's kernel: it is
stopped when Python exits, and dies with the kernel even if the kernel is
killed (the private node through ``processes.spawn``; the container through
testcontainers' reaper container, "Ryuk").

The command line starts nothing (a broker it started would die with it):
``python -m workqueue_helpers.broker`` says which broker the lessons will use
and exits 1 only if they cannot get any; ``... broker check`` exits 0 only if
a broker is running already (steps 1 and 2).
"""

from __future__ import annotations

import atexit
import base64
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import warnings
from dataclasses import dataclass
from typing import Callable, Dict, List, Optional

import pika
import pika.exceptions

from workqueue_helpers import processes
from workqueue_helpers.connection import WorkQueueError, delete_queues

LOCAL_URL = "amqp://guest:guest@localhost:5672/%2F"
DOCKER_IMAGE = "rabbitmq:4.1.4-management"   # the same tag as in docker-compose.yml
RABBITMQ_SERVER = "/usr/lib/rabbitmq/bin/rabbitmq-server"
RABBITMQCTL = "/usr/lib/rabbitmq/bin/rabbitmqctl"
ROOT_VARIABLE = "WORKQUEUE_RABBITMQ_ROOT"     # a chroot that private nodes run in (optional)
SCRATCH_PREFIX = "workqueue-rabbitmq-"        # scratch folders: /tmp/workqueue-rabbitmq-<pid>-<n>
STATS_COLUMNS = ["name", "messages_ready", "messages_unacknowledged", "consumers"]

HOW_TO_GET_A_BROKER = (
    "No RabbitMQ found. Get one in any of three ways: "
    "run `docker compose up -d` in the project folder (needs Docker); "
    "or install RabbitMQ (`sudo apt-get install rabbitmq-server` on Debian/Ubuntu); "
    "or set RABBITMQ_URL=amqp://USER:PASSWORD@HOST:5672/%2F to a broker you can use."
)


class BrokerError(Exception):
    """Something about the broker went wrong. The message is one line, without a password."""


@dataclass(frozen=True)
class QueueStats:
    """The counts of ``rabbitmqctl list_queues name messages_ready messages_unacknowledged consumers``."""

    ready: int      # messages waiting to be delivered
    unacked: int    # messages delivered to a consumer and not acknowledged yet
    consumers: int  # consumers registered on the queue


class Broker:
    """A RabbitMQ broker that the lessons can use.

    ``url`` holds the password: pass it to ``pika.URLParameters`` and never
    print it. ``describe()`` is the line to show in a notebook.
    This class is a broker found running (kind "url" or "local"); it cannot be
    restarted or stopped from here. ``PrivateNode`` and ``DockerBroker`` can.
    """

    def __init__(self, url: str, kind: str, owned: bool = False) -> None:
        self.url = url
        self.kind = kind
        self.owned = owned
        parameters = pika.URLParameters(url)
        self.host: str = parameters.host
        self.port: int = parameters.port
        self.user: str = parameters.credentials.username
        self.vhost: str = parameters.virtual_host
        self.stopped = False
        self._version: Optional[str] = None

    def __repr__(self) -> str:
        return f"<{type(self).__name__} kind={self.kind!r} host={self.host!r}>"

    # --- what every broker can do -------------------------------------------

    def connection(self, timeout: float = 5.0) -> pika.BlockingConnection:
        """Open a new AMQP connection to this broker (one attempt); BrokerError if it fails."""
        try:
            return _connect(self.url, timeout)
        except Exception as error:
            reason = _reason(error)
            if self._password():
                reason = reason.replace(self._password(), "***")
            raise BrokerError(f"Cannot connect to RabbitMQ at {self.host}: {reason}") from None

    def version(self) -> str:
        """The server's version, as it announces itself when a client connects."""
        if self._version is None:
            connection = self.connection()
            try:
                self._version = str(connection._impl.server_properties.get("version", "unknown"))
            finally:
                connection.close()
        return self._version

    def describe(self) -> str:
        """One line for a notebook: version and where the broker runs. No password, no port."""
        version = self.version()
        if self.kind == "url":
            return f"RabbitMQ {version} at {self.host} (from RABBITMQ_URL)"
        if self.kind == "local":
            return f"RabbitMQ {version}, already running on localhost"
        if self.kind == "private":
            return f"RabbitMQ {version}, a private node started for this notebook"
        return f"RabbitMQ {version} in a Docker container started for this notebook"

    def answers(self) -> bool:
        """True if an AMQP connection to the broker opens now."""
        return _answers(self.url)

    def wait_until_ready(self, timeout: float = 60) -> None:
        """Wait until the broker accepts AMQP connections; BrokerError after ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        while not self.answers():
            if time.monotonic() > deadline:
                raise BrokerError(f"RabbitMQ at {self.host} did not answer within {timeout:.0f} s")
            time.sleep(0.1)

    def queue_stats(self, queue: str) -> Optional[QueueStats]:
        """Ready, unacknowledged and consumer counts of ``queue``; None if there is no such queue.

        A broker on localhost is asked with ``rabbitmqctl`` (exact numbers), and
        so is a private node that another Python process started (a notebook
        kernel run by pytest gets the node's URL in RABBITMQ_URL).
        If rabbitmqctl is missing or refuses (it needs root or the rabbitmq
        user), and for any other broker from RABBITMQ_URL, the management
        plugin's HTTP API is asked instead (port 15672, or 15671 for amqps).
        Its numbers are refreshed every few seconds, so they can lag behind by
        about 5 s. Without the management plugin, BrokerError: AMQP alone
        cannot count unacknowledged messages.
        """
        problems = []
        if self.kind == "local" and shutil.which("rabbitmqctl"):
            result = _run(["rabbitmqctl", *_list_queues_arguments(self.vhost)])
            if result.returncode == 0:
                return _stats_from_rabbitmqctl(result.stdout, queue)
            problems.append(f"rabbitmqctl failed ({_last_line(result.stdout)})")
        folder = _private_node_folder(self.host, self.port)
        if folder is not None:
            with open(os.path.join(folder, "node.json"), encoding="utf-8") as file:
                node = json.load(file)["node"]
            ctl = _in_root(_rabbitmq_root(), RABBITMQCTL)
            result = _run([*ctl, "-n", node, *_list_queues_arguments(self.vhost)], env=dict(os.environ, HOME=folder))
            if result.returncode == 0:
                return _stats_from_rabbitmqctl(result.stdout, queue)
            problems.append(f"rabbitmqctl failed ({_last_line(result.stdout)})")
        try:
            return _stats_from_management(self._management_base(), self.user, self._password(),
                                          self.vhost, queue)
        except BrokerError as error:
            problems.append(str(error))
        raise BrokerError(f"Cannot count the messages of queue {queue!r}: " + "; ".join(problems))

    def delete_queues(self, *names: str) -> None:
        """Delete these queues if they exist (lesson cleanup); a missing queue is no error."""
        try:
            delete_queues(self.url, names)
        except WorkQueueError as error:
            raise BrokerError(str(error)) from None

    def restart(self, crash: bool = False) -> float:
        """Restart the broker and return the seconds it took. Only for a broker started here."""
        raise BrokerError(
            f"Will not restart the RabbitMQ at {self.host} ({self.kind!r}): this notebook did not start it. "
            "Use get_broker(owned=True) to get a broker of the notebook's own.")

    def stop(self) -> None:
        """Stop the broker. Only for a broker started here."""
        raise BrokerError(
            f"Will not stop the RabbitMQ at {self.host} ({self.kind!r}): this notebook did not start it.")

    # --- helpers --------------------------------------------------------------

    def _password(self) -> str:
        return pika.URLParameters(self.url).credentials.password

    def _management_base(self) -> str:
        """Where the management HTTP API should be: same host, port 15672 (15671 with TLS)."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        if self.url.startswith("amqps:"):
            return f"https://{host}:15671"
        return f"http://{host}:15672"


class PrivateNode(Broker):
    """A rabbitmq-server node of the notebook's own, in a scratch folder, on free ports.

    The node is the notebook's child process (started with ``processes.spawn``),
    so it dies with the kernel. It runs in a session of its own and ignores
    SIGINT, so "Interrupt kernel" does not stop it. ``start_seconds`` is how
    long the node took to start. With ``WORKQUEUE_RABBITMQ_ROOT`` set, it runs
    inside that chroot (``root``), and so does its scratch folder.
    """

    _count = 0  # private nodes started by this process, to give each its own name

    def __init__(self) -> None:
        if threading.current_thread() is not threading.main_thread():
            # Linux ties "die with the parent" to the thread that started the child.
            raise BrokerError("Start the private RabbitMQ node from the main thread")
        remove_stale_scratch_folders()
        PrivateNode._count += 1
        pid = os.getpid()
        self.node = f"wq-{pid}-{PrivateNode._count}@localhost"
        self.root = _rabbitmq_root()
        if self.root and not os.path.exists(os.path.join(self.root, "proc/self")):
            raise BrokerError(f"No /proc in {self.root} (RabbitMQ needs it): run scripts/rabbitmq43.sh prepare")
        self.folder = os.path.join(_scratch_base(), f"{SCRATCH_PREFIX}{pid}-{PrivateNode._count}")
        self.log_file = os.path.join(self.folder, "console.log")
        amqp_port = _free_port()
        dist_port = _free_port(avoid=amqp_port)
        super().__init__(f"amqp://guest:guest@127.0.0.1:{amqp_port}/%2F", "private", owned=True)

        os.makedirs(self.folder)
        if self.root:
            _same_paths_inside(self.root)
        _write(os.path.join(self.folder, "enabled_plugins"), "[].\n")
        _write(os.path.join(self.folder, "rabbitmq-env.conf"), "")
        # So that other processes given this node's URL can find it (see Broker.queue_stats).
        _write(os.path.join(self.folder, "node.json"), json.dumps({"node": self.node, "amqp_port": amqp_port}))
        # Our own config file, so the node ignores /etc/rabbitmq (which may name port 5672).
        _write(os.path.join(self.folder, "rabbitmq.conf"), f"listeners.tcp.1 = 127.0.0.1:{amqp_port}\n")
        # Our environment minus any RABBITMQ_* or ERL_* setting meant for another node.
        inherited = {name: value for name, value in os.environ.items()
                     if not name.startswith(("RABBITMQ_", "ERL_"))}
        self.env = dict(
            inherited,
            HOME=self.folder,                      # the Erlang cookie goes here; rabbitmqctl needs the same
            RABBITMQ_NODENAME=self.node,
            RABBITMQ_DIST_PORT=str(dist_port),
            RABBITMQ_CONFIG_FILE=os.path.join(self.folder, "rabbitmq.conf"),
            RABBITMQ_ADVANCED_CONFIG_FILE=os.path.join(self.folder, "advanced.config"),
            RABBITMQ_CONF_ENV_FILE=os.path.join(self.folder, "rabbitmq-env.conf"),
            RABBITMQ_ENABLED_PLUGINS_FILE=os.path.join(self.folder, "enabled_plugins"),
            RABBITMQ_MNESIA_BASE=os.path.join(self.folder, "mnesia"),
            RABBITMQ_LOG_BASE=os.path.join(self.folder, "log"),
            RABBITMQ_PID_FILE=os.path.join(self.folder, "pid"),
            # Without a console, rabbitmq-server runs Erlang in a background
            # shell job, which would outlive us. ALLOW_INPUT makes it exec
            # Erlang instead, so our child *is* the node; -noinput is passed below.
            RABBITMQ_ALLOW_INPUT="true",
            RABBITMQ_SERVER_START_ARGS="+B i",    # ignore SIGINT, like `rabbitmq-server` run from a shell
            RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}",
        )
        self._process: Optional[subprocess.Popen] = None
        atexit.register(self.stop)
        try:
            self.start_seconds = self._start()
        except BaseException:
            self.stop()
            raise

    @property
    def pid(self) -> Optional[int]:
        """The node's operating-system process id (the Erlang VM, beam.smp), while it runs."""
        if self._process is None or self._process.poll() is not None:
            return None
        return self._process.pid

    def _start(self) -> float:
        """Start the node's Erlang VM and wait until AMQP answers; return the seconds it took."""
        started = time.monotonic()
        with open(self.log_file, "ab") as log:
            self._process = processes.spawn([*_in_root(self.root, RABBITMQ_SERVER), "-noinput"], env=self.env,
                                            stdout=log, stderr=subprocess.STDOUT, cwd=self.folder,
                                            new_session=True)
        self.wait_until_ready()
        return time.monotonic() - started

    def wait_until_ready(self, timeout: float = 60) -> None:
        """Wait until the node accepts AMQP connections; BrokerError if it stops or times out."""
        deadline = time.monotonic() + timeout
        while not self.answers():
            if self._process is None or self._process.poll() is not None:
                code = None if self._process is None else self._process.returncode
                raise BrokerError(f"The private RabbitMQ node {self.node} stopped (exit code {code}): "
                                  f"{self._log_excerpt()}")
            if time.monotonic() > deadline:
                raise BrokerError(f"The private RabbitMQ node {self.node} did not answer within "
                                  f"{timeout:.0f} s; its log is {self.log_file}")
            time.sleep(0.1)

    def _log_excerpt(self) -> str:
        """The line of the node's console log that says why it stopped, if there is one."""
        try:
            with open(self.log_file, encoding="utf-8", errors="replace") as file:
                lines = [line.strip() for line in file if line.strip()]
        except OSError:
            return "no log"
        for line in reversed(lines):
            if line.startswith("init terminating"):
                return line[:300]
        return lines[-1][:300] if lines else "empty log"

    def rabbitmqctl(self, *args: str) -> subprocess.CompletedProcess:
        """Run ``rabbitmqctl -n NODE ARGS...`` against this node."""
        return _run([*_in_root(self.root, RABBITMQCTL), "-n", self.node, *args], env=self.env)

    def queue_stats(self, queue: str) -> Optional[QueueStats]:
        result = self.rabbitmqctl(*_list_queues_arguments(self.vhost))
        if result.returncode != 0:
            raise BrokerError(f"rabbitmqctl list_queues failed on {self.node}: {_last_line(result.stdout)}")
        return _stats_from_rabbitmqctl(result.stdout, queue)

    def restart(self, crash: bool = False) -> float:
        """Restart the node; return the seconds until AMQP answers again.

        ``crash=False``: ``rabbitmqctl stop_app`` then ``start_app``, an orderly restart.
        ``crash=True``: SIGKILL the node (as a power cut would) and start it
        again on the same data folder and ports.
        Call it from the main thread.
        """
        if self.stopped:
            raise BrokerError(f"The private RabbitMQ node {self.node} has been stopped")
        started = time.monotonic()
        if crash:
            if threading.current_thread() is not threading.main_thread():
                raise BrokerError("Restart the private RabbitMQ node from the main thread")
            processes.kill(self._process, signal.SIGKILL)
            self._start()
        else:
            for command in ("stop_app", "start_app"):
                result = self.rabbitmqctl(command)
                if result.returncode != 0:
                    raise BrokerError(f"rabbitmqctl {command} failed on {self.node}: {_last_line(result.stdout)}")
            self.wait_until_ready()
        return time.monotonic() - started

    def stop(self) -> None:
        """Stop the node (SIGTERM, SIGKILL after 10 s) and remove its scratch folder. Safe to repeat."""
        if self.stopped:
            return
        self.stopped = True
        if self._process is not None:
            processes.kill(self._process, signal.SIGTERM, timeout=10.0)
        for pid in pids_using_folder(self.folder):
            _kill_pid(pid)
        shutil.rmtree(self.folder, ignore_errors=True)
        atexit.unregister(self.stop)


class DockerBroker(Broker):
    """A throwaway RabbitMQ in a Docker container, started through testcontainers.

    testcontainers' reaper container ("Ryuk") removes it soon after this
    Python process ends, however it ends.
    """

    def __init__(self, image: str = DOCKER_IMAGE) -> None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # testcontainers warns about its own deprecated helpers
            from testcontainers.community.rabbitmq import RabbitMqContainer

        self.image = image
        started = time.monotonic()
        container = None
        try:
            container = RabbitMqContainer(image, port=5672, username="guest", password="guest", vhost="/")
            # A fixed host port (picked now) rather than a random one, so that
            # the port stays the same when the container is restarted.
            container.with_bind_ports(5672, _free_port())
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                container.start()  # pulls the image if needed, waits until AMQP answers
            host = container.get_container_host_ip()
            port = container.get_exposed_port(5672)
        except Exception as error:
            if container is not None:
                _quietly(container.stop)
            raise BrokerError(f"Could not start RabbitMQ in Docker ({image}): {_one_line(error)}") from None
        self.container = container
        self.start_seconds = time.monotonic() - started
        super().__init__(f"amqp://guest:guest@{host}:{port}/%2F", "container", owned=True)
        atexit.register(self.stop)

    def queue_stats(self, queue: str) -> Optional[QueueStats]:
        exit_code, output = self.container.exec(["rabbitmqctl", *_list_queues_arguments(self.vhost)])
        text = output.decode("utf-8", "replace")
        if exit_code != 0:
            raise BrokerError(f"rabbitmqctl list_queues failed in the container: {_last_line(text)}")
        return _stats_from_rabbitmqctl(text, queue)

    def restart(self, crash: bool = False) -> float:
        """Restart the container (``crash=True``: SIGKILL it, then start it); return the seconds it took."""
        if self.stopped:
            raise BrokerError("The RabbitMQ container has been stopped")
        container = self.container.get_wrapped_container()
        started = time.monotonic()
        if crash:
            container.kill(signal="SIGKILL")
            container.start()
        else:
            container.restart(timeout=30)
        self.wait_until_ready()
        return time.monotonic() - started

    def stop(self) -> None:
        """Remove the container and its data. Safe to repeat."""
        if self.stopped:
            return
        self.stopped = True
        _quietly(self.container.stop)
        atexit.unregister(self.stop)


# --- finding a broker ---------------------------------------------------------

def find_running_broker() -> Optional[Broker]:
    """The broker of RABBITMQ_URL, or one on localhost:5672 (guest/guest), or None. Starts nothing.

    If RABBITMQ_URL is set but nothing answers there, BrokerError (naming
    host, port and user, never the password).
    """
    url = os.environ.get("RABBITMQ_URL")
    if url:
        try:
            parameters = pika.URLParameters(url)
        except Exception:
            raise BrokerError("RABBITMQ_URL is not a valid amqp:// URL") from None
        where = f"{parameters.host}:{parameters.port} as user {parameters.credentials.username!r}"
        try:
            _connect(url, timeout=5.0).close()
        except Exception as error:
            reason = _reason(error)
            if parameters.credentials.password:
                reason = reason.replace(parameters.credentials.password, "***")
            raise BrokerError(f"RABBITMQ_URL points to {where}, but connecting failed: {reason}") from None
        return Broker(url, "url")
    if _port_open("localhost", 5672) and _answers(LOCAL_URL):
        return Broker(LOCAL_URL, "local")
    return None


def docker_engine_available(timeout: float = 2.0) -> bool:
    """True if a Docker engine answers a ping within ``timeout`` seconds (the one testcontainers would use)."""
    try:
        import docker
        from testcontainers.core.docker_client import get_docker_host
    except ImportError:
        return False
    try:
        environment = dict(os.environ)
        host = get_docker_host()
        if host:
            environment["DOCKER_HOST"] = host
        client = docker.from_env(timeout=timeout, environment=environment,
                                 use_ssh_client=bool(host and host.startswith("ssh://")))
        try:
            return bool(client.ping())
        finally:
            client.close()
    except Exception:
        return False


def private_node_possible() -> bool:
    """True if RabbitMQ is installed here (or in the chroot), so that a private node can be started."""
    root = _rabbitmq_root()
    return os.path.exists(root + RABBITMQ_SERVER) and os.path.exists(root + RABBITMQCTL)


def find_or_start_broker(owned: bool = False) -> Broker:
    """Find a broker, or start one; see the module's docstring for the order.

    ``owned=True``: always start a broker of the notebook's own, which
    ``restart()`` and ``stop()`` may act on.
    """
    if not owned:
        broker = find_running_broker()
        if broker is not None:
            return broker
    problems = []
    if docker_engine_available():
        try:
            return DockerBroker()
        except BrokerError as error:
            problems.append(str(error))
    if private_node_possible():
        return PrivateNode()
    raise BrokerError(" ".join([HOW_TO_GET_A_BROKER, *problems]))


_brokers: Dict[bool, Broker] = {}


def get_broker(owned: bool = False) -> Broker:
    """Like ``find_or_start_broker``, but the same Broker for every call with the same ``owned``."""
    broker = _brokers.get(owned)
    if broker is None or broker.stopped:
        broker = find_or_start_broker(owned)
        _brokers[owned] = broker
    return broker


def remove_stale_scratch_folders() -> None:
    """Remove the scratch folders of private nodes whose Python process has gone, and any node left in them."""
    temp = _scratch_base()
    for name in os.listdir(temp):
        if not name.startswith(SCRATCH_PREFIX):
            continue
        owner = name[len(SCRATCH_PREFIX):].split("-")[0]
        if not owner.isdigit() or _pid_alive(int(owner)):
            continue
        folder = os.path.join(temp, name)
        for pid in pids_using_folder(folder):
            _kill_pid(pid)
        shutil.rmtree(folder, ignore_errors=True)


def pids_using_folder(folder: str) -> List[int]:
    """Processes with ``folder``, or a path inside it, among their arguments (Linux: from /proc).

    A private node's Erlang VM has ``-home FOLDER`` in its command line (its
    node name is not there: RabbitMQ sets it after start).
    """
    found: List[int] = []
    if not os.path.isdir("/proc"):
        return found
    for entry in os.listdir("/proc"):
        if not entry.isdigit() or int(entry) == os.getpid():
            continue
        try:
            with open(f"/proc/{entry}/cmdline", "rb") as file:
                arguments = file.read().decode("utf-8", "replace").split("\0")
        except OSError:
            continue
        if any(argument == folder or argument.startswith(folder + "/") for argument in arguments):
            found.append(int(entry))
    return found


# --- small helpers ------------------------------------------------------------

def _connect(url: str, timeout: float) -> pika.BlockingConnection:
    """One attempt at an AMQP connection, giving up after about ``timeout`` seconds."""
    parameters = pika.URLParameters(url)
    parameters.connection_attempts = 1
    parameters.socket_timeout = timeout
    parameters.stack_timeout = timeout
    return pika.BlockingConnection(parameters)


def _answers(url: str) -> bool:
    try:
        _connect(url, timeout=2.0).close()
        return True
    except Exception:
        return False


def _port_open(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1.0):
            return True
    except OSError:
        return False


def _free_port(avoid: int = 0) -> int:
    """A TCP port that nothing listens on now (the operating system picks it)."""
    while True:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        if port != avoid:
            return port


def _reason(error: BaseException) -> str:
    """A short reason for a failed connection."""
    text = repr(error)  # pika's connection errors have an empty str()
    if isinstance(error, (pika.exceptions.ProbableAuthenticationError,
                          pika.exceptions.AuthenticationError)):
        return "the user name or password was refused"
    if isinstance(error, pika.exceptions.ProbableAccessDeniedError):
        return "access to the virtual host was refused"
    for clue, reason in (("Connection refused", "connection refused"), ("timed out", "timed out"),
                         ("Name or service not known", "unknown host name"),
                         ("getaddrinfo", "unknown host name")):
        if clue in text:
            return reason
    return _one_line(error)


def _one_line(error: BaseException) -> str:
    text = " ".join((str(error) or repr(error)).split())
    return text[:300]


def _last_line(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-1] if lines else "no output"


def _run(argv: List[str], env: Optional[dict] = None) -> subprocess.CompletedProcess:
    """Run a short command; stdout and stderr together, as text."""
    try:
        return subprocess.run(argv, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired) as error:
        return subprocess.CompletedProcess(argv, 1, _one_line(error))


def _list_queues_arguments(vhost: str) -> List[str]:
    """rabbitmqctl's arguments for the counts of every queue of ``vhost``, as JSON."""
    return ["-q", "list_queues", "-p", vhost, *STATS_COLUMNS, "--formatter", "json"]


def _private_node_folder(host: str, port: int) -> Optional[str]:
    """The scratch folder of a running private node listening on ``host:port``, if there is one."""
    if host not in ("localhost", "127.0.0.1") or not private_node_possible():
        return None
    temp = _scratch_base()
    for name in os.listdir(temp):
        if not name.startswith(SCRATCH_PREFIX):
            continue
        try:
            with open(os.path.join(temp, name, "node.json"), encoding="utf-8") as file:
                if json.load(file)["amqp_port"] == port:
                    return os.path.join(temp, name)
        except (OSError, ValueError, KeyError):
            continue
    return None


def _stats_from_rabbitmqctl(output: str, queue: str) -> Optional[QueueStats]:
    """Pick ``queue`` from the JSON that ``rabbitmqctl list_queues ... --formatter json`` prints."""
    lines = output.splitlines()
    rows = None
    for number, line in enumerate(lines):  # skip any warning printed before the JSON
        if line.startswith("["):
            try:
                rows = json.loads("\n".join(lines[number:]))
                break
            except ValueError:
                continue
    if not isinstance(rows, list):
        raise BrokerError(f"Unexpected rabbitmqctl output: {_last_line(output)}")
    for row in rows:
        if row.get("name") == queue:
            return QueueStats(ready=int(row.get("messages_ready") or 0),
                              unacked=int(row.get("messages_unacknowledged") or 0),
                              consumers=int(row.get("consumers") or 0))
    return None


def _stats_from_management(base: str, user: str, password: str, vhost: str,
                           queue: str) -> Optional[QueueStats]:
    """Ask the management HTTP API at ``base`` (e.g. http://host:15672) about one queue."""
    address = f"{base}/api/queues/{urllib.parse.quote(vhost, safe='')}/{urllib.parse.quote(queue, safe='')}"
    request = urllib.request.Request(address)
    token = base64.b64encode(f"{user}:{password}".encode("utf-8")).decode("ascii")
    request.add_header("Authorization", f"Basic {token}")
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # never through a proxy
    try:
        with opener.open(request, timeout=3) as response:
            data = json.load(response)
    except urllib.error.HTTPError as error:
        if error.code == 404:
            return None
        raise BrokerError(f"the management API at {base} answered HTTP {error.code}") from None
    except (OSError, ValueError) as error:
        raise BrokerError(f"the management API at {base} did not answer ({_reason(error)}); "
                          "counting unacknowledged messages needs rabbitmqctl or the management plugin") from None
    return QueueStats(ready=int(data.get("messages_ready") or 0),
                      unacked=int(data.get("messages_unacknowledged") or 0),
                      consumers=int(data.get("consumers") or 0))


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _kill_pid(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
    except OSError:
        pass


def _rabbitmq_root() -> str:
    """The chroot that private nodes run in ($WORKQUEUE_RABBITMQ_ROOT, as an absolute path), or ""."""
    root = os.environ.get(ROOT_VARIABLE, "")
    return os.path.abspath(root) if root else ""


def _in_root(root: str, program: str) -> List[str]:
    """How to run one of RabbitMQ's programs: directly, or with ``chroot ROOT`` if ``root``."""
    return ["chroot", root, program] if root else [program]


def _scratch_base() -> str:
    """Where private nodes' scratch folders go: the temp folder, or the chroot's /tmp."""
    root = _rabbitmq_root()
    return os.path.join(root, "tmp") if root else tempfile.gettempdir()


def _same_paths_inside(root: str) -> None:
    """Make ROOT/tmp/x reachable inside the chroot by that same path, ROOT/tmp/x.

    A relative symlink ROOT/ROOT -> ROOT leads back to the chroot's own root,
    seen from inside and from outside alike. So the node is given the host's
    paths, and its command line, pid and log files are found from here as for
    a node outside a chroot.
    """
    link = os.path.join(root, root.lstrip("/"))
    if not os.path.islink(link):
        os.makedirs(os.path.dirname(link), exist_ok=True)
        os.symlink(os.path.relpath("/", os.path.dirname(root)), link)


def _write(path: str, text: str) -> None:
    with open(path, "w", encoding="utf-8") as file:
        file.write(text)


def _quietly(action: Callable[[], object]) -> None:
    try:
        action()
    except Exception:
        pass


def main(argv: List[str]) -> int:
    """The command line; it never starts a broker.

    ``python -m workqueue_helpers.broker``: say which broker the lessons will
    use. Exit 0 if one is running or the notebooks can start one (Docker, or
    RabbitMQ installed); exit 1, with the three ways to get one, if not.

    ``python -m workqueue_helpers.broker check``: exit 0 only if a broker is
    running already (RABBITMQ_URL, or localhost:5672).
    """
    if argv not in ([], ["check"]):
        print("usage: python -m workqueue_helpers.broker [check]", file=sys.stderr)
        return 2
    try:
        broker = find_running_broker()
    except BrokerError as error:
        print(error, file=sys.stderr)
        return 1
    if broker is not None:
        print(broker.describe())
        return 0
    if argv == []:
        if docker_engine_available():
            print("No RabbitMQ is running; each notebook will start one in a Docker container.")
            return 0
        if private_node_possible():
            print("No RabbitMQ is running; each notebook will start a private rabbitmq-server node.")
            return 0
    print(HOW_TO_GET_A_BROKER, file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
