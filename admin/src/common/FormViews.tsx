import type { ReactNode } from 'react';
import { Create, SimpleForm, useResourceDefinition } from 'react-admin';
import { ConflictAwareEdit } from './ConflictAwareEdit';

/**
 * Edit and create for a resource whose two forms hold the same inputs: pessimistic,
 * conflict-aware edit; create redirects to the new record.
 */
export function formViews(inputs: () => ReactNode, defaults?: Record<string, unknown>) {
  const Inputs = inputs;
  function EditView() {
    return (
      <ConflictAwareEdit>
        <SimpleForm>
          <Inputs />
        </SimpleForm>
      </ConflictAwareEdit>
    );
  }
  function CreateView() {
    const { hasShow } = useResourceDefinition();
    return (
      <Create redirect={hasShow ? 'show' : 'list'}>
        <SimpleForm defaultValues={defaults}>
          <Inputs />
        </SimpleForm>
      </Create>
    );
  }
  return { edit: EditView, create: CreateView };
}
