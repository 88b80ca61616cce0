import UndoIcon from '@mui/icons-material/Undo';
import { TopToolbar, useRecordContext } from 'react-admin';
import { ActionButton } from '../common/ActionButton';
import { API_URL, httpClient } from '../httpClient';

/**
 * "Revert this change" on an audit row of a generic edit. Domain actions get no button: the
 * server refuses them and names the inverse action to use.
 */
export function RevertActions() {
  const record = useRecordContext();
  if (!record || (record.action !== 'update' && record.action !== 'revert')) return <TopToolbar />;
  return (
    <TopToolbar>
      <ActionButton
        label="Revert this change"
        icon={<UndoIcon />}
        action="revert"
        resource="audit_log"
        title={`Revert this change to ${record.resource} ${record.record_id}?`}
        content="The values before this change are written back as a new, audited edit. If the record changed again since, nothing is written."
        success="Change reverted"
        run={() => httpClient(`${API_URL}/audit_log/${record.id}/revert`, { method: 'POST' })}
      />
    </TopToolbar>
  );
}
