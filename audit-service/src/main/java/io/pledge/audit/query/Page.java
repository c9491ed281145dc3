package io.pledge.audit.query;

import java.util.List;

/** One page of a query: {@code total} matching items, this page's {@code items}. */
public record Page<T>(long total, int page, int size, List<T> items) {
}
