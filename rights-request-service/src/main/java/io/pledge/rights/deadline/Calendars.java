package io.pledge.rights.deadline;

import io.micrometer.core.instrument.MeterRegistry;
import io.pledge.rights.config.RightsConfig;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.LocalDate;
import java.util.List;

/**
 * The one business-day calendar of the service: the official data shipped in {@code deadline/calendar/} plus the
 * configured extra holidays. A year without data is counted Monday to Friday only; each such year is counted in the
 * metric {@code pledge_rights_calendar_undefined_year_total{year}} when first used, and the start warns when the
 * current or the next year has no data, so that operators add it before deadlines run into it.
 */
@ApplicationScoped
public class Calendars {

    @Produces
    @Singleton
    BusinessCalendar calendar(RightsConfig config, MeterRegistry metrics) {
        java.util.function.IntConsumer undefined = year -> metrics.counter("pledge.rights.calendar.undefined.year", "year",
                Integer.toString(year)).increment();
        List<java.time.LocalDate> extra = config.deadlines().holidays().orElse(List.of());
        return config.deadlines().calendarDir()
                .map(dir -> BusinessCalendar.official(extra, config.deadlines().zone(), undefined, dir))
                .orElseGet(() -> BusinessCalendar.official(extra, config.deadlines().zone(), undefined));
    }

    void onStart(@Observes StartupEvent start, BusinessCalendar calendar, RightsConfig config) {
        int year = LocalDate.now(config.deadlines().zone()).getYear();
        for (int y = year; y <= year + 1; y++) {
            if (!calendar.defines(y)) {
                Log.warnf("the business-day calendar has no data for %d (defined: %s): deadlines in it count Monday "
                        + "to Friday only until %d.properties is added to pledge.rights.deadlines.calendar-dir",
                        y, calendar.definedYears(), y);
            }
        }
    }
}
