import { Chip } from '@mui/material';
import {
  BooleanField, BooleanInput, DateField, DateTimeInput, FunctionField, Link, NullableBooleanInput, NumberField, NumberInput, ReferenceField,
  SelectInput, TextField, TextInput, useGetList, useRecordContext,
} from 'react-admin';
import type { Meta, MetaField } from './meta';

/** A reference to a column that is not the target's key (Chameleon's user_uuid → users.uuid): looked up, then linked. */
function LookupField({ field, target }: { field: MetaField; target: string }) {
  const record = useRecordContext();
  const value = record?.[field.name];
  const column = field.reference!.column;
  const { data } = useGetList(target, { filter: { [column]: value }, pagination: { page: 1, perPage: 1 } }, { enabled: value != null && value !== '' });
  if (value == null || value === '') return <span>—</span>;
  const found = data?.[0];
  if (!found) return <span>{String(value)}</span>;
  return (
    <Link to={`/${target}/${encodeURIComponent(String(found.id))}/show`} onClick={(e: { stopPropagation(): void }) => e.stopPropagation()}>
      {String(value)}
    </Link>
  );
}

const pretty = (v: unknown) => (v == null ? '—' : JSON.stringify(typeof v === 'string' ? safeParse(v) : v, null, 2));
function safeParse(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return s;
  }
}

/** One column shown at the quality of the hand-written views: links, dates with times, chips, pretty JSON, masked secrets. */
export function renderField(field: MetaField, meta: Meta, where: 'list' | 'show') {
  const common = { key: field.name, source: field.name, label: field.name, sortable: field.sortable };
  if (field.reference) {
    const target = meta.resources.find((r) => r.name === field.reference!.resource);
    if (target && target.key.length === 1 && target.key[0] === field.reference.column) {
      return (
        <ReferenceField {...common} reference={target.name} link="show" emptyText="—">
          <FunctionField render={(r) => String(r[target.search[0] ?? 'id'] ?? r.id)} />
        </ReferenceField>
      );
    }
    if (target) return <FunctionField {...common} render={() => <LookupField field={field} target={target.name} />} />;
  }
  switch (field.kind) {
    case 'date':
      return <DateField {...common} showTime={!/^date$/.test(field.sqlType)} emptyText="—" />;
    case 'bool':
      return <BooleanField {...common} />;
    case 'int':
    case 'number':
      return <NumberField {...common} emptyText="—" />;
    case 'enum':
      return <FunctionField {...common} render={(r) => (r[field.name] == null ? '—' : <Chip size="small" label={String(r[field.name])} />)} />;
    case 'json':
      return where === 'list' ? (
        <FunctionField {...common} sortable={false} render={(r) => <code>{JSON.stringify(r[field.name] ?? null).slice(0, 60)}</code>} />
      ) : (
        <FunctionField {...common} render={(r) => <pre style={{ margin: 0, whiteSpace: 'pre-wrap' }}>{pretty(r[field.name])}</pre>} />
      );
    case 'secret':
      return <TextField {...common} sortable={false} emptyText="—" />;
    default:
      return <TextField {...common} emptyText="—" />;
  }
}

const parseJson = (v: string) => {
  if (v === '') return null;
  try {
    return JSON.parse(v);
  } catch {
    return v;
  }
};

/** The input for one writable column, by its type (the server validates again and names the field on a 400). */
export function renderInput(field: MetaField, mode: 'create' | 'edit') {
  const disabled = mode === 'edit' ? !field.updatable : !field.creatable;
  const common = { key: field.name, source: field.name, label: field.name, disabled, fullWidth: true };
  if (field.kind === 'enum' && field.choices) return <SelectInput {...common} choices={field.choices.map((c) => ({ id: c, name: c }))} emptyText="—" />;
  switch (field.kind) {
    case 'bool':
      return field.nullable ? <NullableBooleanInput {...common} /> : <BooleanInput {...common} />;
    case 'int':
    case 'number':
      return <NumberInput {...common} />;
    case 'date':
      return <DateTimeInput {...common} />;
    case 'json':
      return <TextInput {...common} multiline format={(v) => (v == null ? '' : JSON.stringify(v, null, 2))} parse={parseJson} />;
    default:
      return <TextInput {...common} multiline={/text$/.test(field.sqlType) && !field.array} />;
  }
}
