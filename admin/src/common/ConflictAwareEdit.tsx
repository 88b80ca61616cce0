import { Alert, Button } from '@mui/material';
import type { ReactNode } from 'react';
import { Edit, useNotify, useResourceDefinition, type EditProps, type HttpError } from 'react-admin';

/** Shown when the PUT's `updated_at` was stale: someone else saved first. */
export function ConflictNotice({ message }: { message: string }) {
  return (
    <Alert
      severity="warning"
      variant="filled"
      role="alert"
      action={
        // A full reload drops this form's stale copy and shows the record as it is now.
        <Button color="inherit" size="small" onClick={() => window.location.reload()}>
          Reload
        </Button>
      }
    >
      {message}
    </Alert>
  );
}

/**
 * Edit in pessimistic mode, so a 400's `errors` land under the right inputs (undoable edits never
 * show them), and a 409 offers to reload instead of silently overwriting. A save goes to the record
 * it saved (when it has a page), where the operator sees the result, rather than back to the list.
 */
export function ConflictAwareEdit({ children, ...props }: EditProps & { children: ReactNode }) {
  const notify = useNotify();
  const { hasShow } = useResourceDefinition();
  const onError = (error: unknown) => {
    const err = error as HttpError;
    // Field errors (a 400, or a 409 on a unique column) are put under their inputs by the form.
    if (err?.body?.errors && Object.keys(err.body.errors).length > 0) return;
    if (err?.status === 409) {
      notify(<ConflictNotice message={err.message || 'This record was changed by someone else.'} />, {
        type: 'warning',
        autoHideDuration: null,
      });
      return;
    }
    notify(err?.message || 'Saving failed.', { type: 'error' });
  };
  return (
    <Edit mutationMode="pessimistic" redirect={hasShow ? 'show' : 'list'} mutationOptions={{ onError }} {...props}>
      {children}
    </Edit>
  );
}
