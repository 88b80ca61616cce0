import { DataTable, DateField, FunctionField, NumberField, Show, SimpleShowLayout, TextField } from 'react-admin';
import { StatusField, UserEmailField, DateTimeField } from '../common/fields';
import { DateRangeInputs, EnumFilter, RecentFilter, StuckFilter } from '../common/FilterSidebar';
import { ResourceList } from '../common/ResourceList';
import { BulkFailButton, GenerationActions } from './FailGenerationButtons';
import { AI_TYPES, GENERATION_STATUSES, KNOWN_AI_PROVIDERS } from '../../../contract';

export function GenerationList() {
  return (
    <ResourceList
      bulkActions={{ buttons: <BulkFailButton />, actions: ['fail_refund'] }}
      toolbarFilters={DateRangeInputs({ source: 'created_at', label: 'Created' })}
      mobile={{ primaryText: (r) => `${r.model} · ${r.status}`, secondaryText: (r) => r.prompt, tertiaryText: (r) => new Date(r.created_at).toLocaleString() }}
      filters={
        <>
          <StuckFilter />
          <EnumFilter source="status" label="Status" values={GENERATION_STATUSES} />
          <EnumFilter source="ai_type" label="Type" values={AI_TYPES} />
          <EnumFilter source="provider" label="Provider" values={KNOWN_AI_PROVIDERS} />
          <RecentFilter />
        </>
      }
    >
      <DataTable.Col source="created_at" field={DateTimeField} />
      <DataTable.Col source="user_id" label="User" field={UserEmailField} />
      <DataTable.Col source="provider" />
      <DataTable.Col source="model" />

      <DataTable.Col source="status" field={StatusField} />
      <DataTable.Col source="credits_cost" field={NumberField} />
    </ResourceList>
  );
}

export function GenerationShow() {
  return (
    <Show actions={<GenerationActions />}>
      <SimpleShowLayout>
        <TextField source="gen_id" />
        <UserEmailField label="User" />
        <TextField source="ai_type" />
        <TextField source="provider" />
        <TextField source="model" />
        <TextField source="prompt" />
        <StatusField source="status" />
        <TextField source="provider_job_id" emptyText="—" />
        <NumberField source="credits_cost" />
        <FunctionField source="cost_estimate_usd" render={(r) => (r.cost_estimate_usd == null ? '—' : `$${Number(r.cost_estimate_usd).toFixed(4)}`)} />
        <NumberField source="duration_ms" emptyText="—" />
        <TextField source="error" emptyText="—" />
        <FunctionField
          source="result_urls"
          render={(r) =>
            (r.result_urls ?? []).map((url: string) => (
              <div key={url}>
                <a href={url} target="_blank" rel="noreferrer">
                  {url}
                </a>
              </div>
            ))
          }
        />
        <DateField source="created_at" showTime />
        <DateField source="completed_at" showTime emptyText="—" />
      </SimpleShowLayout>
    </Show>
  );
}
