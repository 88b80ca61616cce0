import GavelIcon from '@mui/icons-material/Gavel';
import { lazyViews } from '../common/lazyViews';

const views = lazyViews(() => import('./ApprovalViews'));

// Written only by the server: a held action creates a request, an admin's decision closes it.
export default { list: views('ApprovalList'), show: views('ApprovalShow'), icon: GavelIcon, recordRepresentation: 'summary' };
