package io.headroom.act;

/** What a cycle reads of one running guest: its allocation (with quota and opt-out) and its statistics. */
public record DomainReading(DomainAllocation allocation, DomainStats stats) {}
