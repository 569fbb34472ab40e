package io.kychub.providers.api;

/** Which verification to ask about: the customer and, where the provider has one, its reference. */
public record PollRequest(String customerId, String providerReference) {}
