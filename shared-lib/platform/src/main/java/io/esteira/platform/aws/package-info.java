/**
 * AWS conventions shared by every service: queue and bucket names in one properties record ({@code esteira.aws.*}).
 * Credentials always come from the SDK's default chain (IRSA on EKS, the instance profile on EC2); emulators are
 * reached through Spring Cloud AWS's {@code spring.cloud.aws.*.endpoint} settings, never through code.
 */
package io.esteira.platform.aws;
