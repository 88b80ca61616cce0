import HourglassEmptyIcon from '@mui/icons-material/HourglassEmpty';
import { lazyViews } from '../common/lazyViews';

const views = lazyViews(() => import('./WaitlistViews'));

export default { list: views('WaitlistList'), edit: views('WaitlistEdit'), create: views('WaitlistCreate'), icon: HourglassEmptyIcon, recordRepresentation: 'email' };
