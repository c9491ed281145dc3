package io.pledge.account.profile;

import io.pledge.account.registration.Account;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The optional profile as the API shows and takes it; a null (or absent) field has no value. The preferred
 * language for notices travels with it but is an account setting, not an optional field: it always has a
 * value, and leaving it out of a replacement keeps it.
 *
 * @param qq      QQ number, 5 to 12 digits
 * @param website an http(s) URL
 * @param locale  preferred language for notices, zh-CN or en; absent in a replacement = unchanged
 */
public record ProfileFields(@Size(min = 1, max = 64) String province,
                            @Size(min = 1, max = 64) String city,
                            @Size(min = 1, max = 64) String nickname,
                            @Size(min = 1, max = 300) String address,
                            @Pattern(regexp = "^[1-9][0-9]{4,11}$") String qq,
                            @Size(max = 300) @Pattern(regexp = "^https?://[^\\s]{1,290}$") String website,
                            @Pattern(regexp = Account.LOCALE_PATTERN) String locale) {

    /** Optional field name to value, in a fixed order, including empty ones (not the locale, which is no such field). */
    public Map<String, String> asMap() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("province", province);
        m.put("city", city);
        m.put("nickname", nickname);
        m.put("address", address);
        m.put("qq", qq);
        m.put("website", website);
        return m;
    }
}
