package io.pledge.rights.deadline;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Business days with weekends and a holiday calendar: pure logic. */
class BusinessCalendarTest {

    private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");

    @Test
    @Tag("clause-6.2")
    void fifteenBusinessDaysSkipWeekendsAndConfiguredHolidays() {
        BusinessCalendar plain = new BusinessCalendar(List.of(), SHANGHAI);
        // Monday 2026-09-21 + 15 business days = Monday 2026-10-12 without holidays
        assertThat(plain.addBusinessDays(LocalDate.of(2026, 9, 21), 15)).isEqualTo(LocalDate.of(2026, 10, 12));
        BusinessCalendar golden = new BusinessCalendar(List.of(LocalDate.of(2026, 10, 1), LocalDate.of(2026, 10, 2),
                LocalDate.of(2026, 10, 5), LocalDate.of(2026, 10, 6), LocalDate.of(2026, 10, 7)), SHANGHAI);
        assertThat(golden.addBusinessDays(LocalDate.of(2026, 9, 21), 15)).isEqualTo(LocalDate.of(2026, 10, 19));
        // a Friday evening request: the count starts the next business day
        assertThat(plain.addBusinessDays(LocalDate.of(2026, 11, 27), 1)).isEqualTo(LocalDate.of(2026, 11, 30));
        Instant due = plain.dueAfterBusinessDays(Instant.parse("2026-11-27T12:00:00Z"), 1);
        assertThat(due.atZone(SHANGHAI).toLocalDate()).isEqualTo(LocalDate.of(2026, 11, 30));
        assertThat(due.atZone(SHANGHAI).getHour()).isEqualTo(23);
    }

    @Test
    @Tag("clause-6.8")
    void thirtyCalendarDaysCountEveryDay() {
        BusinessCalendar c = new BusinessCalendar(List.of(LocalDate.of(2026, 12, 25)), SHANGHAI);
        Instant due = c.dueAfterDays(Instant.parse("2026-12-01T02:00:00Z"), 30);
        assertThat(due.atZone(SHANGHAI).toLocalDate()).isEqualTo(LocalDate.of(2026, 12, 31));
    }
}
