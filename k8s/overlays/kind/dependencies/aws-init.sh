#!/bin/sh
# Buckets, queues with DLQs and the S3 -> SQS notifications on Floci: the same steps as aws-init in docker-compose.yml.
set -e
for bucket in esteira-uploads esteira-output; do
  aws s3api create-bucket --bucket "$bucket" >/dev/null 2>&1 || true
done
for queue in esteira-images esteira-invoices esteira-image-events esteira-status; do
  dlq_url=$(aws sqs create-queue --queue-name "$queue-dlq" --attributes MessageRetentionPeriod=1209600 --query QueueUrl --output text)
  dlq_arn=$(aws sqs get-queue-attributes --queue-url "$dlq_url" --attribute-names QueueArn --query Attributes.QueueArn --output text)
  aws sqs create-queue --queue-name "$queue" --attributes "{\"VisibilityTimeout\":\"60\",\"RedrivePolicy\":\"{\\\"maxReceiveCount\\\":\\\"5\\\",\\\"deadLetterTargetArn\\\":\\\"$dlq_arn\\\"}\"}" >/dev/null
done
arn() {
  aws sqs get-queue-attributes --queue-url "$(aws sqs get-queue-url --queue-name "$1" --query QueueUrl --output text)" \
    --attribute-names QueueArn --query Attributes.QueueArn --output text
}
images_arn=$(arn esteira-images)
invoices_arn=$(arn esteira-invoices)
aws s3api put-bucket-notification-configuration --bucket esteira-uploads --notification-configuration "{
  \"QueueConfigurations\": [
    {\"Id\": \"images\", \"QueueArn\": \"$images_arn\", \"Events\": [\"s3:ObjectCreated:*\"],
     \"Filter\": {\"Key\": {\"FilterRules\": [{\"Name\": \"prefix\", \"Value\": \"images/\"}]}}},
    {\"Id\": \"invoices\", \"QueueArn\": \"$invoices_arn\", \"Events\": [\"s3:ObjectCreated:*\"],
     \"Filter\": {\"Key\": {\"FilterRules\": [{\"Name\": \"prefix\", \"Value\": \"invoices/\"}]}}}
  ]}"
echo "buckets, queues, DLQs and notifications are ready"
