import { Button, Checkbox, FormControlLabel, FormHelperText, MenuItem, Stack, TextField as MuiTextField, useMediaQuery, type Theme } from '@mui/material';
import { useState, type ReactElement, type ReactNode } from 'react';
import { pendingApprovalOf } from '../approval_requests/pending';
import { Confirm, useCanAccess, useNotify, useRefresh, useResourceContext, type HttpError } from 'react-admin';

export interface ActionInput {
  name: string;
  label: string;
  /** `checkbox` holds 'true' when ticked, '' otherwise. */
  type?: 'text' | 'number' | 'password' | 'datetime-local' | 'checkbox';
  required?: boolean;
  /** Returns why the value is refused, or undefined. */
  validate?: (value: string) => string | undefined;
  helperText?: string;
  /** Renders a select instead of a text field. */
  choices?: { id: string; name: string }[];
}

interface ActionButtonProps {
  label: string;
  icon?: ReactElement;
  /** Checked with the authProvider's canAccess, so support never sees admin-only actions. */
  action: string;
  resource?: string;
  title: string;
  content?: ReactNode;
  inputs?: ActionInput[];
  /** The notification; a function gets the call's result, to name the record ("Order ORD-1 refunded"). */
  success: string | ((result: unknown) => string);
  /** Hidden (not just disabled) when false, e.g. a bulk action with nothing selected. */
  disabled?: boolean;
  color?: 'primary' | 'error' | 'warning';
  run: (values: Record<string, string>) => Promise<unknown>;
}

/**
 * One button → confirmation dialog (with the inputs the action needs) → the domain call →
 * a success or failure notification and a refresh. Every domain action in the console uses it.
 */
export function ActionButton(props: ActionButtonProps) {
  const { label, icon, action, title, content, inputs = [], success, color = 'primary', run, disabled } = props;
  const fullScreen = useMediaQuery((theme: Theme) => theme.breakpoints.down('sm'));
  const resourceFromContext = useResourceContext();
  const resource = props.resource ?? resourceFromContext ?? '';
  const { canAccess } = useCanAccess({ action, resource });
  const notify = useNotify();
  const refresh = useRefresh();
  const [open, setOpen] = useState(false);
  const [loading, setLoading] = useState(false);
  const [values, setValues] = useState<Record<string, string>>({});
  const [errors, setErrors] = useState<Record<string, string>>({});

  if (!canAccess) return null;

  const close = () => {
    setOpen(false);
    setValues({});
    setErrors({});
  };
  const confirm = async () => {
    const found: Record<string, string> = {};
    for (const input of inputs) {
      const value = values[input.name] ?? '';
      const why = input.required && value.trim() === '' ? 'Required' : value !== '' ? input.validate?.(value) : undefined;
      if (why) found[input.name] = why;
    }
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    setLoading(true);
    try {
      const result = await run(values);
      // Held for a second admin (202): nothing ran, so the success sentence would be untrue.
      const pending = pendingApprovalOf(result);
      if (pending) notify(pending.message, { type: 'info' });
      else notify(typeof success === 'function' ? success(result) : success, { type: 'success' });
      close();
      refresh();
    } catch (error) {
      const err = error as HttpError;
      // The server's field errors go under the dialog's inputs; its message into the notification.
      if (err.body?.errors) setErrors(err.body.errors);
      notify(err.message || 'The action failed.', { type: 'error' });
    } finally {
      setLoading(false);
    }
  };

  return (
    <>
      <Button size="small" color={color} startIcon={icon} onClick={() => setOpen(true)} disabled={disabled}>
        {label}
      </Button>
      <Confirm
        isOpen={open}
        loading={loading}
        title={title}
        confirmColor={color === 'error' ? 'warning' : 'primary'}
        fullScreen={fullScreen}
        content={
          <Stack spacing={2} sx={{ pt: 1, minWidth: { sm: 360 } }}>
            {content && <div>{content}</div>}
            {inputs.map((input) =>
              input.type === 'checkbox' ? (
                <div key={input.name}>
                  <FormControlLabel
                    label={input.label}
                    control={
                      <Checkbox
                        name={input.name}
                        checked={values[input.name] === 'true'}
                        onChange={(e) => setValues((v) => ({ ...v, [input.name]: e.target.checked ? 'true' : '' }))}
                      />
                    }
                  />
                  {(errors[input.name] ?? input.helperText) && <FormHelperText error={!!errors[input.name]}>{errors[input.name] ?? input.helperText}</FormHelperText>}
                </div>
              ) : (
              <MuiTextField
                key={input.name}
                name={input.name}
                label={input.label}
                type={input.type ?? 'text'}
                required={input.required}
                value={values[input.name] ?? ''}
                onChange={(e) => setValues((v) => ({ ...v, [input.name]: e.target.value }))}
                error={!!errors[input.name]}
                helperText={errors[input.name] ?? input.helperText}
                autoComplete="off"
                select={!!input.choices}
                slotProps={input.type === 'datetime-local' ? { inputLabel: { shrink: true } } : undefined}
              >
                {input.choices?.map((c) => (
                  <MenuItem key={c.id} value={c.id}>
                    {c.name}
                  </MenuItem>
                ))}
              </MuiTextField>
              ),
            )}
          </Stack>
        }
        onConfirm={confirm}
        onClose={close}
      />
    </>
  );
}
