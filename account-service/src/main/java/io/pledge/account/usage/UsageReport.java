package io.pledge.account.usage;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

/**
 * What a client reports about one use of the service (policy 2.1.2). Only these fields: coordinates,
 * device identifiers, search text or anything else is refused as an unknown field.
 *
 * @param action      what was used, e.g. {@code console.open} or {@code storage.upload}
 * @param deviceModel e.g. {@code iPhone15,2}
 * @param os          operating system and version, e.g. {@code iOS-17.4}
 * @param appVersion  the client's version
 * @param language    the device language (BCP 47), e.g. {@code zh-CN}
 * @param areaId      a coarse location: an area code such as {@code CN-31} or {@code 310000}, never GPS
 */
public record UsageReport(
        @NotNull @Pattern(regexp = "^[a-z][a-z0-9._-]{0,63}$") String action,
        @Pattern(regexp = "^[A-Za-z0-9 ,._()+-]{1,64}$") String deviceModel,
        @Pattern(regexp = "^[A-Za-z0-9 ._-]{1,32}$") String os,
        @Pattern(regexp = "^[A-Za-z0-9._+-]{1,32}$") String appVersion,
        @Pattern(regexp = "^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8}){0,3}$") String language,
        @Pattern(regexp = "^[A-Za-z0-9-]{1,32}$") String areaId) {
}
