import KeyIcon from '@mui/icons-material/Key';
import PowerSettingsNewIcon from '@mui/icons-material/PowerSettingsNew';
import { EditButton, TopToolbar, useRecordContext } from 'react-admin';
import { ActionButton } from '../common/ActionButton';
import { useOps } from '../useOps';

/** Rotate and enable/disable. The new key is typed into a password field and only ever sent. */
export function ProviderKeyActions() {
  const record = useRecordContext();
  const ops = useOps();
  if (!record) return <TopToolbar />;
  return (
    <TopToolbar>
      <ActionButton
        label="Rotate"
        icon={<KeyIcon />}
        action="rotate"
        resource="ai_provider_keys"
        title={`Rotate the ${record.provider} key`}
        content={`The current key ends in ${record.last_four}. Paste the new one; it is encrypted at once and never shown again.`}
        inputs={[{ name: 'key', label: 'New key', type: 'password', required: true }]}
        success="Key rotated"
        run={(v) => ops.rotateKey(record.id, { key: v.key })}
      />
      <ActionButton
        label={record.enabled ? 'Disable' : 'Enable'}
        icon={<PowerSettingsNewIcon />}
        color={record.enabled ? 'error' : 'primary'}
        action="enable"
        resource="ai_provider_keys"
        title={`${record.enabled ? 'Disable' : 'Enable'} the ${record.provider} key?`}
        content={record.enabled ? 'Generations through this provider will stop until it is enabled again.' : undefined}
        success={record.enabled ? 'Key disabled' : 'Key enabled'}
        run={() => ops.setKeyEnabled(record.id, !record.enabled)}
      />
      <EditButton />
    </TopToolbar>
  );
}
