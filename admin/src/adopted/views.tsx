import { useState } from 'react';
import { Button as MuiButton, Dialog, DialogActions, DialogContent, DialogTitle, Stack, TextField as MuiTextField } from '@mui/material';
import {
  Create, Datagrid, DeleteButton, EditButton, List, SearchInput, Show, SimpleForm, SimpleShowLayout, TopToolbar,
  useDataProvider, useNotify, useRecordContext, useRefresh, type HttpError,
} from 'react-admin';
import { ConflictAwareEdit } from '../common/ConflictAwareEdit';
import { renderField, renderInput } from './fields';
import type { Meta, MetaAction, MetaResource } from './meta';

type ActionProvider = ReturnType<typeof useDataProvider> & { action(resource: string, id: unknown, action: string, body?: unknown): Promise<{ data: unknown }> };

const LABELS: Record<string, string> = { credits: 'Grant credits', ban: 'Ban', unban: 'Unban', badges: 'Award badge' };

/** One capability as a button; actions that need input ask for it in a small dialog. */
function ActionButton({ resource, action }: { resource: MetaResource; action: MetaAction }) {
  const record = useRecordContext();
  const dataProvider = useDataProvider() as ActionProvider;
  const notify = useNotify();
  const refresh = useRefresh();
  const [open, setOpen] = useState(false);
  const [values, setValues] = useState<Record<string, string>>({});
  if (!record) return null;
  const inputs = action.kind === 'credits' ? ['amount', 'reason'] : action.kind === 'ban' ? ['reason', 'expires_at'] : action.kind === 'badges' ? ['badge_id'] : [];
  const run = async () => {
    const body: Record<string, unknown> = { ...values };
    if (action.kind === 'credits') body.amount = Number(values.amount);
    if (action.kind === 'ban' && !values.expires_at) delete body.expires_at;
    try {
      await dataProvider.action(resource.name, record.id, action.action, body);
      notify(`${LABELS[action.action] ?? action.action}: done`, { type: 'success' });
      setOpen(false);
      refresh();
    } catch (err) {
      const e = err as HttpError;
      const fields = e.body?.errors ? Object.entries(e.body.errors as Record<string, string>).map(([k, v]) => `${k}: ${v}`).join('; ') : '';
      notify(fields ? `${e.message} (${fields})` : e.message, { type: 'error' });
    }
  };
  const label = LABELS[action.action] ?? action.action.replace(/_/g, ' ');
  return (
    <>
      <MuiButton size="small" onClick={() => (inputs.length ? setOpen(true) : run())}>
        {label}
      </MuiButton>
      <Dialog open={open} onClose={() => setOpen(false)}>
        <DialogTitle>{label}</DialogTitle>
        <DialogContent>
          <Stack spacing={2} sx={{ pt: 1 }}>
            {inputs.map((name) => (
              <MuiTextField key={name} label={name} value={values[name] ?? ''} onChange={(e) => setValues({ ...values, [name]: e.target.value })} />
            ))}
          </Stack>
        </DialogContent>
        <DialogActions>
          <MuiButton onClick={() => setOpen(false)}>Cancel</MuiButton>
          <MuiButton onClick={run}>Confirm</MuiButton>
        </DialogActions>
      </Dialog>
    </>
  );
}

export function resourceViews(resource: MetaResource, meta: Meta) {
  const byName = new Map(resource.fields.map((f) => [f.name, f]));
  const listed = resource.list.map((n) => byName.get(n)).filter((f) => f !== undefined);
  const writable = meta.operator.canWrite && !resource.readOnly;
  const filters = resource.search.length ? [<SearchInput key="q" source="q" alwaysOn />] : [];
  const formFields = resource.fields.filter((f) => f.kind !== 'secret');

  const AdoptedList = () => (
    <List filters={filters} sort={{ field: resource.key[0] ?? 'id', order: 'ASC' }} perPage={25} title={resource.label}>
      <Datagrid rowClick={resource.keyed ? 'show' : false} bulkActionButtons={false}>
        {listed.map((f) => renderField(f, meta, 'list'))}
      </Datagrid>
    </List>
  );

  const ShowActions = () => (
    <TopToolbar>
      {resource.actions.map((a) => (
        <ActionButton key={a.action} resource={resource} action={a} />
      ))}
      {writable && <EditButton />}
    </TopToolbar>
  );

  const AdoptedShow = () => (
    <Show actions={<ShowActions />} title={resource.label}>
      <SimpleShowLayout>{resource.fields.map((f) => renderField(f, meta, 'show'))}</SimpleShowLayout>
    </Show>
  );

  const AdoptedEdit = () => (
    <ConflictAwareEdit title={resource.label}>
      <SimpleForm toolbar={undefined}>
        {formFields.filter((f) => !resource.key.includes(f.name) || !f.updatable).map((f) => renderInput(f, 'edit'))}
        {resource.deletable && meta.operator.canWrite && <DeleteButton mutationMode="pessimistic" />}
      </SimpleForm>
    </ConflictAwareEdit>
  );

  const AdoptedCreate = () => (
    <Create title={resource.label} redirect="show">
      <SimpleForm>{formFields.filter((f) => f.creatable).map((f) => renderInput(f, 'create'))}</SimpleForm>
    </Create>
  );

  return {
    list: AdoptedList,
    show: resource.keyed ? AdoptedShow : undefined,
    edit: writable && resource.keyed ? AdoptedEdit : undefined,
    create: writable && resource.fields.some((f) => f.creatable) ? AdoptedCreate : undefined,
    recordRepresentation: resource.search[0] ?? resource.key[0] ?? 'id',
  };
}

