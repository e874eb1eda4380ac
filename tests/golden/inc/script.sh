#!/bin/sh
# imported by err-import-not-rollout.dsl: a script, not a rollout
export TOKEN=never-to-be-shown
