/* A date field that always shows the record's date.
 *
 * Odoo's date field keeps its own copy of the date it shows. When the
 * picker closes, it copies the record's date, but the date just typed may
 * not have reached the record yet (the record's changes wait in a queue,
 * e.g. behind a save the server refused): the copy is then the date typed
 * before, and it stays on screen after the record has taken the new one.
 * A termination's end date refused on save (before the notice date), then
 * corrected and saved, showed the refused date while the corrected one was
 * saved, and a later save could send the refused one again.
 *
 * This field follows the record: whenever the record's date changes while
 * the picker is closed, the date shown becomes the record's. */
import { areDatesEqual } from "@web/core/l10n/dates";
import { registry } from "@web/core/registry";
import { DateTimeField, dateField } from "@web/views/fields/datetime/datetime_field";
import { onWillRender } from "@odoo/owl";

export class NpsDateField extends DateTimeField {
    setup() {
        super.setup();
        let recordValue = this.getRecordValue();
        onWillRender(() => {
            const value = this.getRecordValue();
            if (areDatesEqual(value, recordValue)) {
                return;
            }
            recordValue = value;
            if (!this.picker.activeInput && !areDatesEqual(value, this.state.value)) {
                this.state.value = value;
                // what the form's status said of this field before
                this.triggerIsDirty();
            }
        });
    }
}

registry.category("fields").add("nps_date", { ...dateField, component: NpsDateField });
