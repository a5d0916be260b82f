#! /bin/sh
# Generates configure and the Makefile.in files from a git checkout.
set -e
autoreconf --install --force
