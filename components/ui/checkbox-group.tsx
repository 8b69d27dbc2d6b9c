/** One checkbox of a CheckboxGroup: its value is also its label; the hint is its tooltip. */
type TCheckboxOption<T extends string> = { value: T; hint: string };

/** A labelled row of checkboxes choosing a subset of values (an API key's scopes, a webhook's events). */
export function CheckboxGroup<T extends string>({
  legend,
  options,
  selected,
  onChange,
}: {
  legend: string;
  options: readonly TCheckboxOption<T>[];
  selected: readonly T[];
  onChange: (next: T[]) => void;
}) {
  const toggle = (value: T) => onChange(selected.includes(value) ? selected.filter((v) => v !== value) : [...selected, value]);
  return (
    <fieldset className="flex flex-col gap-0.5">
      <legend className="text-[11px] font-medium text-slate-500">{legend}</legend>
      <div className="flex gap-3">
        {options.map((o) => (
          <label key={o.value} className="flex items-center gap-1 text-[13px]" title={o.hint}>
            <input type="checkbox" checked={selected.includes(o.value)} onChange={() => toggle(o.value)} />
            {o.value}
          </label>
        ))}
      </div>
    </fieldset>
  );
}
