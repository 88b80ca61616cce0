#!/usr/bin/env bash
# Runs the stack's ops task definition once inside the VPC and fails unless it exits 0.
#   ops-task.sh <started-by> [command word...]
# With no command the task runs its own (npm run db:migrate). Secrets reach the container from
# Secrets Manager through the task definition, never through these overrides, so nothing secret
# passes through this script, the ECS API call or the workflow log.
# Env: CLUSTER, TASK_DEFINITION, SUBNET_IDS (JSON list or comma list), SECURITY_GROUP.
set -euo pipefail
started_by=$1
shift

definition=$(aws ecs describe-task-definition --task-definition "$TASK_DEFINITION" --query 'taskDefinition.containerDefinitions[0]')
container=$(jq -r '.name' <<<"$definition")
subnets=$(jq -r 'if type == "array" then join(",") else . end' <<<"$SUBNET_IDS" 2>/dev/null || echo "$SUBNET_IDS")
overrides='{}'
if [ $# -gt 0 ]; then
  overrides=$(jq -nc --arg name "$container" '{containerOverrides: [{name: $name, command: $ARGS.positional}]}' --args "$@")
fi
task=$(aws ecs run-task --cluster "$CLUSTER" --task-definition "$TASK_DEFINITION" \
  --launch-type FARGATE --count 1 --started-by "$started_by" \
  --network-configuration "awsvpcConfiguration={subnets=[$subnets],securityGroups=[$SECURITY_GROUP],assignPublicIp=DISABLED}" \
  --overrides "$overrides" --query 'tasks[0].taskArn' --output text)
if [ -z "$task" ] || [ "$task" = "None" ]; then
  echo "::error::ECS could not start the $started_by task"
  exit 1
fi
echo "$started_by task: $task"
# The waiter gives up after 10 minutes; a long CONCURRENTLY build may need several rounds.
for round in 1 2 3 4 5; do
  if aws ecs wait tasks-stopped --cluster "$CLUSTER" --tasks "$task"; then break; fi
  echo "task still running after round $round"
done
group=$(jq -r '.logConfiguration.options["awslogs-group"]' <<<"$definition")
prefix=$(jq -r '.logConfiguration.options["awslogs-stream-prefix"]' <<<"$definition")
echo "--- $started_by output ---"
aws logs get-log-events --log-group-name "$group" --log-stream-name "$prefix/$container/${task##*/}" \
  --start-from-head --query 'events[].message' --output text | tr '\t' '\n' || true
result=$(aws ecs describe-tasks --cluster "$CLUSTER" --tasks "$task" \
  --query 'tasks[0].[lastStatus, containers[0].exitCode, stoppedReason]' --output text)
read -r status code reason <<<"$result"
if [ "$status" != "STOPPED" ] || [ "$code" != "0" ]; then
  echo "::error::$started_by task ended as $status with exit code $code: $reason"
  exit 1
fi
