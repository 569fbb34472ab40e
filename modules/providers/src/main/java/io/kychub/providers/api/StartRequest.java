package io.kychub.providers.api;

/**
 * What the hub asks a provider to start.
 *
 * @param verificationId the hub's id of the new verification (providers may echo it back)
 */
public record StartRequest(String tenantId, String customerId, String verificationId) {}
