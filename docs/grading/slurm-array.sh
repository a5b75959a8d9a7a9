#!/usr/bin/env bash
# Grades a whole class on Slurm: an array job, one task per shard.
# docs/instructors.md, "Grade a class", explains shards and the merge.
#
# Before submitting, on a machine with network access and the same home folder as the compute
# nodes: build the kit (the instructor's, with solutions/, so the hidden tests run) and put its
# modules in ~/.m2, since grading builds offline:
#
#   ./flashlab build && mvn -B -q -ntp install -DskipTests -Djacoco.skip=true
#
# Then, from the kit's folder:
#
#   SUBMISSIONS=/path/to/submissions LESSON=03 sbatch docs/grading/slurm-array.sh
#
# sbatch prints the array's job id. Submit the merge to run once every task has succeeded:
#
#   sbatch --dependency=afterok:<jobid> --wrap './flashlab merge results/shard-* --out results/class'
#
# Each task's first grade installs the kit's modules again, offline, in the kit's folder and ~/.m2.
# After the build above Maven finds them up to date. Do not change the kit while the array runs, or
# the four tasks rebuild the same folders at once.
#
# To change the number of shards, change --array to 1-N. The task count comes from Slurm.
#SBATCH --job-name=flashlab-grade
#SBATCH --array=1-4
#SBATCH --cpus-per-task=2
#SBATCH --mem=8G
#SBATCH --time=02:00:00
#SBATCH --output=flashlab-grade-%A-%a.log
# --exclusive gives each task a whole node. Noisy neighbours skew the performance ratio. Each shard
# measures the reference itself, in turns with the submissions, so the ratio stays valid on a shared
# node, but it is less noisy on a whole one. The grader pins the server to the first CPU the task
# may use and the load generator to the others (it reads them from /proc/self/status, so Slurm's
# core binding is respected); keep --cpus-per-task at 2 or more.
#SBATCH --exclusive
set -euo pipefail

: "${SUBMISSIONS:?set SUBMISSIONS to the folder of submissions, one folder per student}"

./flashlab roster --lesson "${LESSON:-03}" --submissions "$SUBMISSIONS" \
  --shard "${SLURM_ARRAY_TASK_ID}/${SLURM_ARRAY_TASK_COUNT}" --out "results/shard-${SLURM_ARRAY_TASK_ID}"
