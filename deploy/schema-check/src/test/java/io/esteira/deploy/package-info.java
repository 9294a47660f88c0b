/**
 * Offline checks of the Kubernetes manifests under {@code k8s/}: every kustomization is rendered with
 * {@code kubectl kustomize} and each object is validated against the API schema of its kind.
 */
package io.esteira.deploy;
