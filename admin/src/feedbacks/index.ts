import FeedbackIcon from '@mui/icons-material/Feedback';
import { FeedbackList, FeedbackShow } from './FeedbackViews';

export default { list: FeedbackList, show: FeedbackShow, icon: FeedbackIcon };
