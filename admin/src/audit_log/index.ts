import HistoryIcon from '@mui/icons-material/History';
import { lazyViews } from '../common/lazyViews';

const views = lazyViews(() => import('./AuditViews'));

// Read-only by design: the trail is written by the server, never by an operator.
export default { list: views('AuditList'), show: views('AuditShow'), icon: HistoryIcon };
