#!/usr/bin/env bash
# Run once when the dev container is created (postCreateCommand).
# 1. RabbitMQ's programs, not started: lesson 6 starts a cluster of private nodes of its
#    own (the compose file's broker keeps port 5672). policy-rc.d keeps apt from starting
#    the package's own server.
# 2. The course's Python packages (.venv), as `make` would on first use, and the
#    learner's copies of the lessons (notebooks/learner/).
set -euo pipefail
if [ ! -x /usr/lib/rabbitmq/bin/rabbitmq-server ]; then
    echo "Installing RabbitMQ's programs for lesson 6 (not started)..."
    printf '#!/bin/sh\nexit 101\n' | sudo tee /usr/sbin/policy-rc.d >/dev/null
    sudo chmod +x /usr/sbin/policy-rc.d
    sudo apt-get update -qq
    sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq rabbitmq-server >/dev/null
fi
# A font for the Chinese lessons' charts (matplotlib's own has no Chinese).
fc-list :lang=zh | grep -q . || sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-wqy-microhei >/dev/null
make .venv/.installed
# The learner's copies of the lessons: open notebooks/learner/, where no answer shows before its cell runs.
.venv/bin/python -m workshop.learner_copies
echo "Lessons: notebooks/learner/01_round_robin.ipynb; 中文课程: notebooks/learner/01_round_robin.zh.ipynb"
