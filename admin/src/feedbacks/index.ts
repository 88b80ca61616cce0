import FeedbackIcon from '@mui/icons-material/Feedback';
import { lazyViews } from '../common/lazyViews';

const views = lazyViews(() => import('./FeedbackViews'));

export default { list: views('FeedbackList'), show: views('FeedbackShow'), icon: FeedbackIcon };
