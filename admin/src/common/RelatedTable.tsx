import type { ReactNode } from 'react';
import { DataTable, Pagination, ReferenceManyField, type SortPayload } from 'react-admin';

interface RelatedTableProps {
  reference: string;
  target?: string;
  /** `false` hides the label (the tab already names the table). */
  label?: string | false;
  sort?: SortPayload;
  filter?: Record<string, unknown>;
  children: ReactNode;
}

/** A paged table of the records pointing at this one (`filter={"user_id": …}` by default). */
export function RelatedTable({ reference, target = 'user_id', label, sort, filter, children }: RelatedTableProps) {
  return (
    <ReferenceManyField
      reference={reference}
      target={target}
      label={label}
      sort={sort ?? { field: 'id', order: 'DESC' }}
      filter={filter}
      perPage={10}
      pagination={<Pagination rowsPerPageOptions={[10, 25, 50]} />}
    >
      <DataTable bulkActionButtons={false} rowClick="show">
        {children}
      </DataTable>
    </ReferenceManyField>
  );
}
