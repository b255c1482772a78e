#!/bin/sh
# RabbitMQ 4.3 from Debian sid, in a chroot, for `make test-rabbitmq43`. Needs root.
#
#   workshop/rabbitmq43.sh prepare   create the chroot once (debootstrap: about 30 s, 400 MB),
#                                   copy /etc/hosts in, bind-mount /proc and /dev; print its path
#   workshop/rabbitmq43.sh version   print the rabbitmq-server version in it
#   workshop/rabbitmq43.sh umount    unmount /proc and /dev again (refused while a process runs in it)
#
# Where: $WORKQUEUE_RABBITMQ_ROOT, default /var/cache/workqueue/rabbitmq-sid.
# Which mirror: $DEBIAN_MIRROR, default the first Debian one in /etc/apt/sources*.
# workqueue_helpers.broker.PrivateNode starts its nodes in it when
# WORKQUEUE_RABBITMQ_ROOT is set.
set -eu

ROOT=${WORKQUEUE_RABBITMQ_ROOT:-/var/cache/workqueue/rabbitmq-sid}

mirror() {
    [ -n "${DEBIAN_MIRROR:-}" ] && { echo "$DEBIAN_MIRROR"; return; }
    found=$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources 2>/dev/null |
            grep -oE 'https?://[^ ]+/debian/?( |$)' | head -n 1 | tr -d ' ')
    echo "${found:-http://deb.debian.org/debian}"
}

create() {
    [ -x "$ROOT/usr/lib/rabbitmq/bin/rabbitmq-server" ] && return
    command -v debootstrap >/dev/null || { echo "needs debootstrap: apt-get install debootstrap" >&2; exit 1; }
    if grep -q " $ROOT.new/" /proc/mounts; then
        echo "$ROOT.new (an interrupted creation) still has mounts; unmount them first" >&2; exit 1
    fi
    rm -rf "$ROOT.new"
    mkdir -p "$(dirname "$ROOT")"
    echo "Creating $ROOT (Debian sid with rabbitmq-server, from $(mirror)) ..." >&2
    debootstrap --variant=minbase --include=rabbitmq-server sid "$ROOT.new" "$(mirror)" >"$ROOT.log" 2>&1 ||
        { tail -n 5 "$ROOT.log" >&2; exit 1; }
    mv "$ROOT.new" "$ROOT"   # only a finished chroot gets the real name
}

mount_all() {
    cp /etc/hosts "$ROOT/etc/hosts"   # without it: epmd_error ... nxdomain
    for dir in proc dev; do
        mountpoint -q "$ROOT/$dir" || mount --bind "/$dir" "$ROOT/$dir"
    done
}

umount_all() {
    for process in /proc/[0-9]*; do
        if [ "$(readlink "$process/root" 2>/dev/null)" = "$ROOT" ]; then
            echo "not unmounting: process ${process#/proc/} runs in $ROOT" >&2; exit 1
        fi
    done
    for dir in dev proc; do
        if mountpoint -q "$ROOT/$dir"; then umount "$ROOT/$dir"; fi
    done
}

case "${1:-prepare}" in
    prepare) create; mount_all; echo "$ROOT" ;;
    version) chroot "$ROOT" dpkg-query -W -f '${Version}\n' rabbitmq-server ;;
    umount)  umount_all ;;
    *) echo "usage: $0 [prepare|version|umount]" >&2; exit 2 ;;
esac
