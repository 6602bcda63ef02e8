/* Prints what ofnotify reads from the registry, from core/settings itself:
 * one line per setting, "VALUE_NAME MIN MAX". tests/admx/check compares the
 * policy template with it. */
#include <stdio.h>

#include "ofnotify/settings.h"

int main(void)
{
    for (int id = 0; id < OF_SETTING_COUNT; id++) {
        uint32_t min = 0, max = 0;
        const char *name = of_settings_value_name((of_setting_id)id);
        if (!name || of_settings_range((of_setting_id)id, &min, &max) != 0)
            return 1;
        printf("%s %u %u\n", name, (unsigned)min, (unsigned)max);
    }
    return 0;
}
