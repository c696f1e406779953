/**
 * Notification: Alertmanager client, admission pause hook and the failure webhook receiver.
 */
package io.headroom.notify;
