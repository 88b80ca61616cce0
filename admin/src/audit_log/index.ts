import HistoryIcon from '@mui/icons-material/History';
import { AuditList, AuditShow } from './AuditViews';

// Read-only by design: the trail is written by the server, never by an operator.
export default { list: AuditList, show: AuditShow, icon: HistoryIcon };
