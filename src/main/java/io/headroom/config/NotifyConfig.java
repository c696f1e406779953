package io.headroom.config;

/**
 * Notification: alerts posted to Alertmanager, failure alerts received from it, and the admission pause hook.
 *
 * @param alertmanager where and how Headroom's own alerts are posted
 * @param webhook      the endpoint that turns Alertmanager notifications into failure signals
 * @param admission    the optional pause of new requests for a workload on the critical tier
 */
public record NotifyConfig(AlertmanagerConfig alertmanager, WebhookConfig webhook, AdmissionConfig admission) {}
